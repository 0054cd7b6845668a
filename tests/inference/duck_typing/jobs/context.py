# the job queue's shared connections, set up by the worker at start
connections = None
