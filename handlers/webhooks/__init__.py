"""The webhooks: signed JSON from other systems, each on its own route (handlers/routes.py)."""
