"""The webhooks: signed JSON from other systems, each on its own route (handlers/routes.py).

May use: the services (`bot`), and the models for lookups.
"""
