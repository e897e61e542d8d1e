"""The FastAPI web app: factory, auth middleware, errors, responses, routes."""
