"""The project: settings read from the environment, the URL map, the public
pages, health probes and error pages, and the commands that span every app
(`load_demo`). No app imports it."""
