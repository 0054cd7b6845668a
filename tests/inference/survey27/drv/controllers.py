# Names the driver builds its controllers by: aliases of other modules' classes.
from drv import claims

ClaimController = claims.ClaimController
