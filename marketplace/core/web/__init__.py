"""The web side of the core: role checks, the shared site areas, error pages, form fields worded
once, page fragments, links from the public URL, rate limits and security headers."""
