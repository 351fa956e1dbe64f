"""The weekly cross-department digest: computed, rendered, posted exactly once."""
