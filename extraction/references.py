"""Placeholder: owned by an extraction helper."""



def find_references(*args, **kwargs):
    return []
