"""Placeholder: owned by an extraction helper."""



def find_targets(*args, **kwargs):
    return []
