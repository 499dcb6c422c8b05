package merchantapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/lcngw/lcngw/config"
	"github.com/lcngw/lcngw/registry"
)

// Page sizes of a listing.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

func (a *API) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := DefaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxLimit {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("limit must be 1 to %d", MaxLimit))
			return
		}
		limit = n
	}
	entries, more := a.opts.Store.List(q.Get("prefix"), q.Get("after"), limit)
	page := Page{Merchants: make([]View, 0, len(entries))}
	for _, e := range entries {
		v, err := viewOf(e)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "rendering a merchant failed")
			return
		}
		page.Merchants = append(page.Merchants, v)
	}
	if more && len(entries) > 0 {
		page.Next = entries[len(entries)-1].VendorCode()
	}
	writeJSON(w, http.StatusOK, page)
}

func (a *API) get(w http.ResponseWriter, r *http.Request) {
	e, ok := a.opts.Store.Lookup(r.PathValue("vendor"))
	if !ok {
		writeError(w, http.StatusNotFound, "no such merchant")
		return
	}
	writeEntry(w, http.StatusOK, e)
}

func (a *API) put(w http.ResponseWriter, r *http.Request) {
	vendor := r.PathValue("vendor")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, config.MaxDocumentSize))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("a document is at most %d bytes", config.MaxDocumentSize))
		return
	}
	m, err := config.DecodeMerchant(body)
	if err != nil {
		writeProblems(w, "the document cannot be read", []Problem{{Path: "", Message: err.Error()}})
		return
	}
	if m.VendorCode == "" {
		m.VendorCode = vendor
	}
	if m.VendorCode != vendor {
		writeProblems(w, "invalid merchant", []Problem{{Path: "vendor_code", Message: "must match the vendor code in the path"}})
		return
	}
	opts, ok := preconditions(w, r)
	if !ok {
		return
	}
	cur, exists := a.opts.Store.Lookup(vendor)
	validate := a.opts.Validate
	if r.URL.Query().Get("check") != "false" {
		validate = a.checkingValidator(r, cur)
	}
	e, err := a.opts.Store.Put(r.Context(), m, validate, opts)
	if err != nil {
		a.writeStoreError(w, err)
		return
	}
	a.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "merchant saved",
		slog.String("merchant", vendor), slog.Uint64("revision", e.Revision))
	status := http.StatusOK
	if !exists {
		status = http.StatusCreated
	}
	writeEntry(w, status, e)
}

// preconditions reads If-Match ("revision") and If-None-Match (*).
func preconditions(w http.ResponseWriter, r *http.Request) (registry.PutOptions, bool) {
	var o registry.PutOptions
	if v := r.Header.Get("If-None-Match"); v != "" {
		if strings.TrimSpace(v) != "*" {
			writeError(w, http.StatusBadRequest, `If-None-Match takes only "*"`)
			return o, false
		}
		o.IfAbsent = true
	}
	if v := r.Header.Get("If-Match"); v != "" {
		n, err := strconv.ParseUint(strings.Trim(strings.TrimPrefix(strings.TrimSpace(v), "W/"), `"`), 10, 64)
		if err != nil || n == 0 {
			writeError(w, http.StatusBadRequest, "If-Match takes the revision (ETag) a GET returned")
			return o, false
		}
		o.IfRevision = n
	}
	return o, true
}

// checkingValidator validates, then checks every URL that is new or
// changed against cur (checks run only on a valid document).
func (a *API) checkingValidator(r *http.Request, cur *registry.Entry) registry.Validator {
	return func(m *config.Merchant) error {
		if err := a.opts.Validate(m); err != nil {
			return err
		}
		var ps []config.Problem
		for i, ep := range m.Endpoints {
			if cur != nil {
				if old, ok := cur.Endpoint(ep.Name); ok && old.URL == ep.URL {
					continue
				}
			}
			if err := a.opts.Check(r.Context(), ep.URL); err != nil {
				ps = append(ps, config.Problem{Path: fmt.Sprintf("endpoints[%d].url", i),
					Message: "the GET check failed (" + err.Error() + "); fix the endpoint, or save with ?check=false"})
			}
		}
		if len(ps) > 0 {
			return &config.Error{Problems: ps}
		}
		return nil
	}
}

func (a *API) delete(w http.ResponseWriter, r *http.Request) {
	vendor := r.PathValue("vendor")
	if err := a.opts.Store.Delete(r.Context(), vendor); err != nil {
		a.writeStoreError(w, err)
		return
	}
	a.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "merchant deleted", slog.String("merchant", vendor))
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) check(w http.ResponseWriter, r *http.Request) {
	vendor, name := r.PathValue("vendor"), r.PathValue("name")
	e, ok := a.opts.Store.Lookup(vendor)
	if !ok {
		writeError(w, http.StatusNotFound, "no such merchant")
		return
	}
	ep, ok := e.Endpoint(name)
	if !ok {
		writeError(w, http.StatusNotFound, "no such endpoint")
		return
	}
	res := CheckResult{Endpoint: name, OK: true}
	if err := a.opts.Check(r.Context(), ep.URL); err != nil {
		res.OK, res.Error = false, err.Error()
	}
	writeJSON(w, http.StatusOK, res)
}

func (a *API) pause(paused bool) http.HandlerFunc {
	what := "endpoint resumed"
	if paused {
		what = "endpoint paused"
	}
	return func(w http.ResponseWriter, r *http.Request) {
		vendor, name := r.PathValue("vendor"), r.PathValue("name")
		e, err := a.opts.Store.SetPaused(r.Context(), vendor, name, paused)
		if err != nil {
			a.writeStoreError(w, err)
			return
		}
		a.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, what,
			slog.String("merchant", vendor), slog.String("endpoint", name))
		writeEntry(w, http.StatusOK, e)
	}
}

// writeStoreError maps the registry's errors to answers.
func (a *API) writeStoreError(w http.ResponseWriter, err error) {
	var cerr *config.Error
	switch {
	case errors.As(err, &cerr):
		ps := make([]Problem, len(cerr.Problems))
		for i, p := range cerr.Problems {
			ps[i] = Problem{Path: p.Path, Message: p.Message}
		}
		writeProblems(w, "invalid merchant", ps)
	case errors.Is(err, registry.ErrNotFound):
		writeError(w, http.StatusNotFound, "no such merchant or endpoint")
	case errors.Is(err, registry.ErrConflict):
		writeError(w, http.StatusPreconditionFailed, "the merchant changed since the revision given (or exists, with If-None-Match)")
	default:
		a.opts.Logger.LogAttrs(context.Background(), slog.LevelError, "merchant registry write failed", slog.String("err", err.Error()))
		writeError(w, http.StatusServiceUnavailable, "the merchant registry could not be written; try again")
	}
}
