"""vcsim test peer: our Go main over Debian's govmomi simulator, its build fixes, build cache
and a launcher. The pytest fixtures live in :mod:`tests.peers.vcsim_fixtures`."""
