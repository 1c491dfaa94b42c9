"""Placeholder: owned by an extraction helper."""
from .model import Meta


def extract_meta(*args, **kwargs):
    return Meta()
