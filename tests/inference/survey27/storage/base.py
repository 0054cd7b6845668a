# Bases of the storage controllers: the driver a controller is built with
# is kept on self by the base's constructor.


class ControllerBase:
    def __init__(self, driver):
        self.driver = driver


class Plain:
    def __init__(self, conf):
        self.conf = conf
        self.connection = dict(conf)
