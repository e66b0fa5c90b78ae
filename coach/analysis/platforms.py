"""Platform facts and counting. (Placeholder until the platform module lands.)"""

PLATFORMS = ("x", "linkedin", "instagram", "facebook", "threads", "bluesky", "mastodon")
