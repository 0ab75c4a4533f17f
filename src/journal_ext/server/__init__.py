"""The jupyter_server extension: the app, its routes and handlers, and the Journal/ drive."""
