"""The finance console: web pages for people, at /console/, rendered on the server from the
same services the API calls (so the same scopes, four-eyes rules and audit apply)."""
