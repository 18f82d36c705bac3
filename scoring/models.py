"""The scoring app's models; each capability keeps its own in its subpackage and they are
re-exported here, so the app label and migrations stay one."""
