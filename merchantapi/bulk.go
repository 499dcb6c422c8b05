package merchantapi

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/lcngw/lcngw/config"
)

// MaxImportSize bounds the body of an import.
const MaxImportSize = 1 << 30

// importBatch is how many merchants an import writes at a time.
const importBatch = 1000

// ImportResult is the answer of an import.
type ImportResult struct {
	// Written counts the merchants written.
	Written int `json:"written"`
	// Problems lists the problems of the lines not written, each path
	// prefixed with "line N".
	Problems []Problem `json:"problems,omitempty"`
}

// RekeyResult is the answer of a rekey.
type RekeyResult struct {
	// Rewritten counts the merchants sealed again under the current key.
	Rewritten int `json:"rewritten"`
}

// importLines reads JSON lines, one merchant document a line, and writes
// them in batches without URL checks (an import is a migration, not a
// merchant saving a URL). A line without a secret keeps the merchant's.
// Lines with problems are skipped and listed; the answer is 422 if any.
func (a *API) importLines(w http.ResponseWriter, r *http.Request) {
	sc := bufio.NewScanner(http.MaxBytesReader(w, r.Body, MaxImportSize))
	sc.Buffer(make([]byte, 0, 64<<10), config.MaxDocumentSize)
	var res ImportResult
	var batch []config.Merchant
	flush := func() error {
		n, err := a.opts.Store.PutMany(r.Context(), batch, nil, nil)
		res.Written += n
		batch = batch[:0]
		return err
	}
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		m, err := a.importLine(text)
		if err != nil {
			res.Problems = append(res.Problems, lineProblems(line, err)...)
			continue
		}
		if batch = append(batch, m); len(batch) == importBatch {
			if err := flush(); err != nil {
				a.writeStoreError(w, err)
				return
			}
		}
	}
	if err := sc.Err(); err != nil {
		res.Problems = append(res.Problems, Problem{Path: fmt.Sprintf("line %d", line+1), Message: "unreadable: " + err.Error()})
	}
	if err := flush(); err != nil {
		a.writeStoreError(w, err)
		return
	}
	a.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "merchants imported",
		slog.Int("written", res.Written), slog.Int("problems", len(res.Problems)))
	status := http.StatusOK
	if len(res.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, res)
}

// importLine decodes and validates one line, filling a missing secret
// from the merchant's current one.
func (a *API) importLine(text []byte) (config.Merchant, error) {
	m, err := config.DecodeMerchant(text)
	if err != nil {
		return m, err
	}
	if m.Key().IsZero() {
		if cur, ok := a.opts.Store.Lookup(m.VendorCode); ok {
			m = m.WithSecret(cur.Merchant.Key())
		}
	}
	return m, a.opts.Validate(&m)
}

func lineProblems(line int, err error) []Problem {
	at := fmt.Sprintf("line %d", line)
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		return []Problem{{Path: at, Message: err.Error()}}
	}
	out := make([]Problem, len(cerr.Problems))
	for i, p := range cerr.Problems {
		out[i] = Problem{Path: at + ": " + p.Path, Message: p.Message}
	}
	return out
}

func (a *API) rekey(w http.ResponseWriter, r *http.Request) {
	n, err := a.opts.Store.Rekey(r.Context())
	if err != nil {
		a.writeStoreError(w, err)
		return
	}
	a.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "merchant secrets sealed again", slog.Int("rewritten", n))
	writeJSON(w, http.StatusOK, RekeyResult{Rewritten: n})
}
