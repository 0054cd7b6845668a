# Two levels of bases across files.
from app.site import SiteDao


class ArchiveDao(SiteDao):
    def archive(self, site):
        self.redis.delete(f"site:{site}")  # calls: client
