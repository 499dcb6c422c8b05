package lcn

import (
	"github.com/go-json-experiment/json/jsontext"

	"github.com/lcngw/lcngw/param"
)

// The arrays of an event are bounded, so that no event, however long, costs
// more to decode than its bounded arrays: a longer array is rejected at
// its first element past the bound (param.DecodeList).
const (
	maxChangedAttributes = 64  // each attribute at most once, with room to spare
	maxPricingOptions    = 100 // as for an IPN order line
)

// Attributes lists the attributes an update changed, at most 64.
type Attributes []string

// MaxItems is the most attributes an event may list.
func (Attributes) MaxItems() int { return maxChangedAttributes }

// UnmarshalJSONFrom decodes at most MaxItems attributes.
func (a *Attributes) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return param.DecodeList(dec, (*[]string)(a), maxChangedAttributes)
}

// PricingOptions are a subscription's pricing options, at most 100.
type PricingOptions []PricingOption

// MaxItems is the most pricing options an event may list.
func (PricingOptions) MaxItems() int { return maxPricingOptions }

// UnmarshalJSONFrom decodes at most MaxItems pricing options.
func (o *PricingOptions) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return param.DecodeList(dec, (*[]PricingOption)(o), maxPricingOptions)
}
