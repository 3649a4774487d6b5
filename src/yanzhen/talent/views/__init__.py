"""Pages of the talent app, by topic."""
