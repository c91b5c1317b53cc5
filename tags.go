package gorgias

// TagsService manages the account's tags: /api/tags.
type TagsService service
