// Package receiver is what a merchant puts in front of an IPN or LCN
// webhook endpoint: a Fiber v2 middleware (New), its net/http twin
// (Middleware), and duplicate detection (Store, MemoryStore). Both adapters
// share one framework-neutral core, so they behave identically.
//
// For every request the middleware
//
//   - answers GET and HEAD with 200 "OK": the platform checks a URL with a
//     GET when it is saved;
//   - rejects other methods but POST with 405 (and an Allow header);
//   - refuses a Content-Encoding other than identity (415) and bodies over
//     Config.MaxBodySize (413);
//   - parses the raw body in wire order with the form parser behind
//     signer.Decoder (PHP-style NAME[] grouping, never url.Values), into
//     pooled buffers, and copies what it keeps out of them and out of the
//     framework's reused buffers (nothing with ReuseNotifications);
//   - picks the secrets by VENDOR_CODE (Config.Keys) or uses Config.Secrets,
//     trying each key in turn while signatures mismatch (key rotation);
//   - verifies under Config.Policy: every signature present must match,
//     required algorithms must be present, and a notification signed with
//     MD5 alone is refused unless the policy allows it;
//   - rejects a bad, missing or downgraded signature with 403 and a short
//     text/plain reason; no rejection ever carries a receipt or echoes the
//     body;
//   - hands the verified Notification to the application (FromFiber,
//     FromContext) once per MESSAGE_ID, and when the application succeeds
//     answers 200 with the read receipt (templates.ReceiptFormat; by default
//     the strongest verified algorithm: <sig algo="sha3-256" …>,
//     <sig algo="sha256" …>, or <EPAYMENT>…</EPAYMENT> when only MD5 was
//     present), dated when the notification was received (YmdHis).
//
// The Notification owns a copy of every field, so the application may keep
// it. An application that is done with it when its handler returns can set
// Config.ReuseNotifications: notifications then point into the decoder's
// buffers, which are recycled with them, so verifying and receipting a
// notification neither copy nor allocate (duplicate detection still stores
// one key per notification). Notification.Clone keeps one.
//
// Content-Type is deliberately not enforced: the platform does not document
// it, the body is always parsed as application/x-www-form-urlencoded, and the
// signature — not a header — decides whether a request is genuine.
//
// Field names are not covered by the protocol's signature (only values, in
// order, are signed), so a renamed field still verifies; the application
// should treat a missing expected field as an error rather than a default.
//
// Duplicates. A notification is keyed by kind, VENDOR_CODE and MESSAGE_ID
// (DedupeKey); one without MESSAGE_ID is not deduplicated. The key is claimed
// before the application runs, committed when it succeeds and released when
// it fails (error, non-2xx status or panic), so a failed attempt leaves the
// platform's retry to be processed. A retry of a handled notification is
// answered with a valid receipt without running the application again
// (unless Config.PassDuplicates); a retry arriving while the first attempt
// is still running gets 409 and no receipt, so the platform tries again.
// When the Store fails the request is refused with 503: it is safer to let
// the platform retry than to risk handling a notification twice.
package receiver
