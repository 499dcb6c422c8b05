// Package merchantapi provides the merchant registry's HTTP API, served on
// the admin listener under /api/v1/merchants:
//
//	GET    /api/v1/merchants?prefix=&after=&limit=       a page of merchants, in vendor-code order
//	GET    /api/v1/merchants/{vendor_code}               one merchant (ETag: its revision)
//	PUT    /api/v1/merchants/{vendor_code}[?check=false] create or replace (If-Match, If-None-Match: *)
//	DELETE /api/v1/merchants/{vendor_code}               delete
//	POST   /api/v1/merchants/{vendor_code}/endpoints/{name}/check   GET the endpoint's URL now
//	POST   /api/v1/merchants/{vendor_code}/endpoints/{name}/pause   hold its notifications in the retry path
//	POST   /api/v1/merchants/{vendor_code}/endpoints/{name}/resume  release them
//	POST   /api/v1/merchants/import                      JSON lines of documents, written in batches, no URL check
//	POST   /api/v1/merchants/rekey                       seal every secret again under the current key
//
// Documents are JSON with the fields of a merchant in the configuration
// file and its validation: a bad document gets 422 listing every problem.
// A PUT that adds an endpoint or changes a URL first checks it with a GET
// that must answer 200, as the platform does when a merchant saves a URL;
// ?check=false skips that. A PUT without a secret keeps the merchant's
// secret. Secrets are write-only: no answer, log line or metric carries
// one.
//
// Every route needs "Authorization: Bearer TOKEN", compared in constant
// time with the configured token; with no token configured the API is off
// (403). A conditional PUT (If-Match with the revision a GET returned)
// refuses a stale or replayed write with 412.
package merchantapi
