"""Translated site banners, kept in one Redis hash per language."""
import redis

r = redis.Redis(host="localhost", port=6379)


def publish_banners(lang):
	if lang == "fr":
		r.hset("banner:fr", "accueil", "Bienvenue !")
		r.hset("banner:fr", "été", "Soldes d'été : jusqu'à -50 % sur les abonnements annuels, réservez avant le 31 août 2025.")
	else:
		r.hset("banner:emoji", "🎉 fête", "Summer sale: up to 50% off yearly plans, book before the 31st of August 2025.")
