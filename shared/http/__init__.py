"""HTTP plumbing shared by the services' APIs."""
