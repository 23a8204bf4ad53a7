"""Build, validate and release the fintech-policy data package."""
