"""Post Coach: an offline coach for social media posts."""

__version__ = "0.1.0"
