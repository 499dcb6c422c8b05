package registry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/lcngw/lcngw/config"
)

// Errors of the write methods; test with errors.Is.
var (
	// ErrNotFound: no such merchant, or no such endpoint of it.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the merchant's revision is not the one the change was
	// based on (a stale or replayed write).
	ErrConflict = errors.New("revision conflict")
)

// readBackTimeout bounds how long a write waits to see itself applied.
const readBackTimeout = 10 * time.Second

// PutOptions qualifies a Put.
type PutOptions struct {
	// IfRevision, when not 0, makes the put apply only if the merchant's
	// current revision is this one (If-Match).
	IfRevision uint64
	// IfAbsent makes the put apply only if the merchant does not exist
	// (If-None-Match: *).
	IfAbsent bool
}

// Validator checks a merchant before it is written, listing every problem
// (a *config.Error), or returns nil.
type Validator func(m *config.Merchant) error

// Put creates or replaces the merchant m, after validate (nil skips it)
// passes. A merchant sent without a secret keeps the secret it has. The
// endpoints that stay keep their paused state. Put returns once the
// registry has read the change back.
func (r *Registry) Put(ctx context.Context, m config.Merchant, validate Validator, o PutOptions) (*Entry, error) {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	cur, exists := r.table.get(m.VendorCode)
	switch {
	case o.IfAbsent && exists, o.IfRevision != 0 && (!exists || cur.Revision != o.IfRevision):
		return nil, fmt.Errorf("merchant %s: %w", m.VendorCode, ErrConflict)
	}
	e, err := r.next(cur, m, validate)
	if err != nil {
		return nil, err
	}
	if err := r.writeEntries(ctx, []*Entry{e}); err != nil {
		return nil, err
	}
	return e, r.readBack(ctx, m.VendorCode, e.Revision)
}

// next returns the entry that replaces cur (nil for a new merchant).
func (r *Registry) next(cur *Entry, m config.Merchant, validate Validator) (*Entry, error) {
	if m.Key().IsZero() && cur != nil {
		m = m.WithSecret(cur.Merchant.Key())
	}
	if validate != nil {
		if err := validate(&m); err != nil {
			return nil, err
		}
	}
	e := &Entry{Merchant: m, Revision: 1, Updated: r.opts.Now().UTC(), KeyID: r.opts.Keys.Current()}
	if cur != nil {
		e.Revision = cur.Revision + 1
		for _, name := range cur.Paused {
			if _, ok := e.Endpoint(name); ok {
				e.Paused = append(e.Paused, name)
			}
		}
	}
	return e, nil
}

// Delete removes the merchant vendor with a tombstone.
func (r *Registry) Delete(ctx context.Context, vendor string) error {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	if _, ok := r.table.get(vendor); !ok {
		return fmt.Errorf("merchant %s: %w", vendor, ErrNotFound)
	}
	if err := r.writer.WriteMessages(ctx, kafka.Message{Key: []byte(vendor)}); err != nil {
		return fmt.Errorf("registry %s: delete %s: %w", r.opts.Topic, vendor, err)
	}
	ctx, cancel := context.WithTimeout(ctx, readBackTimeout)
	defer cancel()
	return r.waitFor(ctx, vendor, func(_ *Entry, ok bool) bool { return !ok })
}

// SetPaused pauses or resumes the endpoint called name of the merchant
// vendor. A paused endpoint's notifications wait in the retry path.
func (r *Registry) SetPaused(ctx context.Context, vendor, name string, paused bool) (*Entry, error) {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	cur, ok := r.table.get(vendor)
	if !ok {
		return nil, fmt.Errorf("merchant %s: %w", vendor, ErrNotFound)
	}
	if _, ok := cur.Endpoint(name); !ok {
		return nil, fmt.Errorf("merchant %s endpoint %s: %w", vendor, name, ErrNotFound)
	}
	if cur.IsPaused(name) == paused {
		return cur, nil
	}
	e := *cur
	e.Paused, e.Revision, e.Updated, e.KeyID = cur.withPaused(name, paused), cur.Revision+1, r.opts.Now().UTC(), r.opts.Keys.Current()
	if err := r.writeEntries(ctx, []*Entry{&e}); err != nil {
		return nil, err
	}
	return &e, r.readBack(ctx, vendor, e.Revision)
}

// PutMany writes many merchants at once, in batches, without reading each
// back: an import. Merchants that fail validate are skipped and their
// problems returned, each prefixed with the vendor code; progress, when
// set, is called with the number handled so far.
func (r *Registry) PutMany(ctx context.Context, ms []config.Merchant, validate Validator, progress func(int)) (int, error) {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	const batch = 1000
	var problems []error
	written := 0
	for start := 0; start < len(ms); start += batch {
		var entries []*Entry
		for _, m := range ms[start:min(start+batch, len(ms))] {
			cur, _ := r.table.get(m.VendorCode)
			e, err := r.next(cur, m, validate)
			if err != nil {
				problems = append(problems, fmt.Errorf("merchant %q: %w", m.VendorCode, err))
				continue
			}
			entries = append(entries, e)
		}
		if err := r.writeEntries(ctx, entries); err != nil {
			return written, errors.Join(append(problems, err)...)
		}
		written += len(entries)
		if progress != nil {
			progress(min(start+batch, len(ms)))
		}
	}
	return written, errors.Join(problems...)
}

// Rekey seals again, under the current key, every secret sealed under
// another one, and returns how many it rewrote. Run it after putting a new
// key first in the keyring; old keys can go once it returns.
func (r *Registry) Rekey(ctx context.Context) (int, error) {
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	var stale []*Entry
	after := ""
	for {
		page, more := r.table.list("", after, 10000)
		for _, e := range page {
			if e.KeyID != r.opts.Keys.Current() {
				n := *e
				n.Revision, n.Updated, n.KeyID = e.Revision+1, r.opts.Now().UTC(), r.opts.Keys.Current()
				stale = append(stale, &n)
			}
			after = e.VendorCode()
		}
		if !more {
			break
		}
	}
	for start := 0; start < len(stale); start += 1000 {
		if err := r.writeEntries(ctx, stale[start:min(start+1000, len(stale))]); err != nil {
			return start, err
		}
	}
	return len(stale), nil
}

// writeEntries seals and writes entries in one produce call.
func (r *Registry) writeEntries(ctx context.Context, entries []*Entry) error {
	if len(entries) == 0 {
		return nil
	}
	msgs := make([]kafka.Message, len(entries))
	for i, e := range entries {
		value, err := encodeEntry(r.opts.Keys, e)
		if err != nil {
			return err
		}
		msgs[i] = kafka.Message{Key: []byte(e.VendorCode()), Value: value}
	}
	if err := r.writer.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("registry %s: write: %w", r.opts.Topic, err)
	}
	return nil
}

// readBack waits until the registry has applied revision rev of vendor (or
// a later change).
func (r *Registry) readBack(ctx context.Context, vendor string, rev uint64) error {
	ctx, cancel := context.WithTimeout(ctx, readBackTimeout)
	defer cancel()
	return r.waitFor(ctx, vendor, func(e *Entry, ok bool) bool { return ok && e.Revision >= rev })
}

// Entries returns every entry in vendor-code order: an export.
func (r *Registry) Entries() []*Entry {
	var out []*Entry
	after := ""
	for {
		page, more := r.table.list("", after, 10000)
		out = append(out, page...)
		if !more || len(page) == 0 {
			return out
		}
		after = page[len(page)-1].VendorCode()
	}
}
