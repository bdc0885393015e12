"""The real server of the server tier (tests/server) and of the HTTP benchmark (bench/http_load.py):
the demo's settings with a bare view beside the blocks' handlers, the WSGI entry point gunicorn
preloads, the data the runs need, and a client that saves answers as the student's browser does.
Bench and test code only: nothing here is part of the package."""
