"""The JSON API's schemas and its generated OpenAPI document (the blueprint is marketplace.api.views)."""
