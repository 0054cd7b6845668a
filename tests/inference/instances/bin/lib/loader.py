# A config loader whose methods build clients (another module, imported by
# the name the application puts on sys.path: `lib.loader`).
import redis


class Loader:
    def __init__(self, path=None):
        self.path = path

    def get_db_conn(self, section, decode_responses=True):
        return redis.StrictRedis(host=section, decode_responses=decode_responses)

    def get_setting(self, section):
        return {"section": section}
