"""The project: settings read from the environment, the URL map, the public
pages, health probes and error pages. No app imports it."""
