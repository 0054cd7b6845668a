NAME = "app"
URL = "redis://localhost:6379/0"
CLIENT_CLASS = None
X = False
