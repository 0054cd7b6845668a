class Ops:
    pass
