"""Date formats where Django's own do not suit the portal's readers."""
