"""Translated banners of the demo shops, one Redis hash per shop (literal ids)."""
import redis

r = redis.Redis(host="localhost", port=6379)


def publish_banners(lang):
	if lang == "fr":
		r.hset("banner:42", "accueil", "Bienvenue !")
		r.hset("banner:42", "été", "Soldes d'été : jusqu'à -50 % sur les abonnements annuels, réservez avant le 31 août 2025.")
	else:
		r.hset("banner:12345", "🎉 fête", "Summer sale: up to 50% off yearly plans, book before the 31st of August 2025.")
