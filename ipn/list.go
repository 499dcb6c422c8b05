package ipn

import (
	"github.com/go-json-experiment/json/jsontext"

	"github.com/lcngw/lcngw/param"
)

// The arrays of an event are bounded, so that no event, however long, costs
// more to decode than its bounded arrays: a longer array is rejected at
// its first element past the bound (param.DecodeList).

// Items are an order's lines, at most 1,000.
type Items []Item

// MaxItems is the most lines an order may have.
func (Items) MaxItems() int { return maxItems }

// UnmarshalJSONFrom decodes at most MaxItems lines.
func (l *Items) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return param.DecodeList(dec, (*[]Item)(l), maxItems)
}

// PricingOptions are an order line's pricing options, at most 100.
type PricingOptions []PricingOption

// MaxItems is the most pricing options a line may have.
func (PricingOptions) MaxItems() int { return maxOptionsPerItem }

// UnmarshalJSONFrom decodes at most MaxItems pricing options.
func (l *PricingOptions) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return param.DecodeList(dec, (*[]PricingOption)(l), maxOptionsPerItem)
}

// maxStrings bounds the other arrays of strings (custom fields, original
// external references).
const maxStrings = 100

// Strings are an array of at most 100 strings.
type Strings []string

// MaxItems is the most strings the array may hold.
func (Strings) MaxItems() int { return maxStrings }

// UnmarshalJSONFrom decodes at most MaxItems strings.
func (l *Strings) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	return param.DecodeList(dec, (*[]string)(l), maxStrings)
}
