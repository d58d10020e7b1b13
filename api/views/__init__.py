"""API views by subject. Thin: validate with a serializer, call a service, serialize."""
