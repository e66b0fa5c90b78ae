"""Data that ships with Post Coach: language packs, rule catalogue, example packs, icons.

Installed as the package ``coach.resources``; read it through :mod:`coach.data`.
Nothing here is executed: this file only makes the folder an importable package.
"""
