"""Real test peers the suite starts as processes: redis-server, vcsim, the oVirt engine API
server. Nothing here is a mock; test doubles elsewhere are named as such."""
