"""Everything Qt. The UI calls services through the TaskRunner and renders the DTOs they
return; it never touches the database itself."""
