"""Placeholder: owned by an extraction helper."""



def find_amounts(*args, **kwargs):
    return []
