"""Serializers by subject: what the API reads and what it returns."""
