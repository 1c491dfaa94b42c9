"""Placeholder: owned by an extraction helper."""



def find_agencies(*args, **kwargs):
    return []
