# Production code: the test fake's lpush does not hide this client.
def enqueue(conn, job):
    conn.lpush("queue", job)  # calls: inferred-client
