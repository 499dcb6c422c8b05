package console

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lcngw/lcngw/merchantapi"
)

// MerchantAPI reaches the gateway's merchant API (/api/v1/merchants):
// it lists the registry's merchants with their paused endpoints
// (Directory) and pauses, resumes and checks endpoints (EndpointControl).
type MerchantAPI struct {
	// BaseURL is the admin listener's URL, e.g. http://127.0.0.1:9090.
	BaseURL string
	// Token is the API's bearer token.
	Token string
	// Client makes the requests; default a client with a 10s timeout.
	Client *http.Client
}

const merchantsPath = "/api/v1/merchants"

// Merchants lists every merchant of the registry, page by page.
func (a *MerchantAPI) Merchants(ctx context.Context) ([]MerchantInfo, error) {
	var out []MerchantInfo
	after := ""
	for range 1000 { // at most 1000 pages of 1000
		var page merchantapi.Page
		q := url.Values{"limit": {"1000"}, "after": {after}}
		if err := a.do(ctx, http.MethodGet, merchantsPath+"?"+q.Encode(), &page); err != nil {
			return nil, err
		}
		for _, v := range page.Merchants {
			mi, err := merchantOf(&v)
			if err != nil {
				return nil, err
			}
			out = append(out, mi)
		}
		if page.Next == "" {
			return out, nil
		}
		after = page.Next
	}
	return out, nil
}

// merchantOf reads the identifiers of a merchant view.
func merchantOf(v *merchantapi.View) (MerchantInfo, error) {
	var doc struct {
		VendorCode string `json:"vendor_code"`
		Endpoints  []struct {
			Name string `json:"name"`
		} `json:"endpoints"`
	}
	if err := json.Unmarshal(v.Merchant, &doc); err != nil {
		return MerchantInfo{}, fmt.Errorf("console: merchant API: merchant document: %w", err)
	}
	mi := MerchantInfo{VendorCode: doc.VendorCode}
	paused := map[string]bool{}
	for _, p := range v.Paused {
		paused[p] = true
	}
	for _, e := range doc.Endpoints {
		mi.Endpoints = append(mi.Endpoints, EndpointInfo{Name: e.Name, Paused: paused[e.Name]})
	}
	return mi, nil
}

// SetPaused pauses or resumes an endpoint.
func (a *MerchantAPI) SetPaused(ctx context.Context, merchant, endpoint string, paused bool) error {
	action := "resume"
	if paused {
		action = "pause"
	}
	return a.do(ctx, http.MethodPost, endpointPath(merchant, endpoint, action), nil)
}

// Check makes the endpoint's GET check.
func (a *MerchantAPI) Check(ctx context.Context, merchant, endpoint string) (string, error) {
	var res merchantapi.CheckResult
	if err := a.do(ctx, http.MethodPost, endpointPath(merchant, endpoint, "check"), &res); err != nil {
		return "", err
	}
	if !res.OK {
		return "check failed: " + res.Error, nil
	}
	return "check passed (answered 200)", nil
}

func endpointPath(merchant, endpoint, action string) string {
	return merchantsPath + "/" + url.PathEscape(merchant) + "/endpoints/" + url.PathEscape(endpoint) + "/" + action
}

// do sends one request and decodes a 2xx answer into out (nil: ignored).
func (a *MerchantAPI) do(ctx context.Context, method, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(a.BaseURL, "/")+path, nil)
	if err != nil {
		return fmt.Errorf("console: merchant API: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	c := a.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	res, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("console: merchant API: %w", err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("console: merchant API: %w", err)
	}
	if res.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		return fmt.Errorf("console: merchant API: %s %s: %d %s", method, path, res.StatusCode, e.Error)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("console: merchant API: %s %s: %w", method, path, err)
	}
	return nil
}
