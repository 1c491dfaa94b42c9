"""Placeholder: owned by an extraction helper."""



def check_budget(*args, **kwargs):
    return []
