"""Pages of closed-loop supervision, by topic."""
