package ipn

import (
	"github.com/lcngw/lcngw/param"
	"github.com/lcngw/lcngw/signer"
)

// productSpecs lists IPN_PID … IPN_SHIPPING_TAX: the per-product arrays (one
// element per order line) and the order totals interleaved with them.
func productSpecs() []param.Spec {
	return []param.Spec{
		required(array("IPN_PID", "Array of integers", "2Checkout product ID of each order line.")),
		array("IPN_PNAME", "Array of strings", "Product name of each line."),
		array("IPN_PCODE", "Array of strings", "The merchant's product code of each line."),
		array("IPN_EXTERNAL_REFERENCE", "Array of strings", "Product external reference of each line."),
		array("IPN_INFO", "Array of strings", "Additional information of each line."),
		array("IPN_QTY", "Array of integers", "Quantity of each line."),
		array("IPN_PRICE", "Array of decimals", "Unit price of each line, net of VAT."),
		array("IPN_VAT", "Array of decimals", "VAT amount of each line."),
		array("IPN_VAT_RATE", "Array of decimals", "VAT rate of each line, in percent."),
		array("IPN_VER", "Array of strings", "Product version of each line."),
		array("IPN_DISCOUNT", "Array of decimals", "Discount of each line."),
		array("IPN_PROMOTION_CATEGORY", "Array of strings", "Category of the promotion applied to each line."),
		array("IPN_PROMONAME", "Array of strings", "Name of the promotion applied to each line."),
		array("IPN_PROMOCODE", "Array of strings", "Coupon code of the promotion applied to each line."),
		array("IPN_ORDER_COSTS", "Array of decimals", "Order costs of each line."),
		array("IPN_SKU", "Array of strings", "SKU of each line."),
		scalar("IPN_PARTNER_CODE", "String", "Code of the partner the order was placed for (partner orders)."),
		array("IPN_PGROUP", "Array of integers", "Product group ID of each line; 0 = none."),
		array("IPN_PGROUP_NAME", "Array of strings", "Product group name of each line."),
		required(scalar("MESSAGE_ID", "Integer", "Identifier of this notification: the same on every retry of it.")),
		required(oneOf(scalar("MESSAGE_TYPE", "String", "Kind of notification: PENDING, AUTH, APPROVED (card) or PROCESSING (SEPA), COMPLETE, REFUND, REVERSED, CANCELED."), messageTypes)),
		array("IPN_LICENSE_PROD", "Array of integers", "Product ID of the subscription of each line."),
		oneOf(array("IPN_LICENSE_TYPE", "Array of strings", "Subscription purchase type of each line: REGULAR, RENEWAL, UPGRADE or TRIAL."), licenseTypes),
		array("IPN_LICENSE_REF", "Array of strings", "Subscription reference of each line (the LCN LICENSE_CODE)."),
		limited(array("IPN_LICENSE_EXP", "Array of strings (Y-m-d H:i:s)", "Subscription expiration of each line; 9999-12-31 23:59:59 for lifetime subscriptions."), 19),
		limited(array("IPN_LICENSE_START", "Array of strings (Y-m-d H:i:s)", "Subscription start of each line."), 19),
		oneOf(array("IPN_LICENSE_LIFETIME", "Array of strings", "YES when the subscription of the line never expires, NO otherwise."), yesNo),
		array("IPN_LICENSE_ADDITIONAL_INFO", "Array of strings", "Additional subscription information of each line."),
		array("IPN_DELIVEREDCODES", "Array of strings", "Activation keys or codes delivered for each line."),
		scalar("IPN_DOWNLOAD_LINK", "String", "Download link of the order."),
		array("IPN_TOTAL", "Array of decimals", "Total of each line: price × quantity + VAT."),
		scalar("IPN_TOTALGENERAL", "Decimal", "Order total: the line totals plus shipping and shipping tax."),
		scalar("IPN_SHIPPING", "Decimal", "Shipping cost."),
		scalar("IPN_SHIPPING_TAX", "Decimal", "Tax on the shipping cost."),
	}
}

// trailerSpecs lists AVANGATE_CUSTOMER_REFERENCE … PROPOSAL_ID and the
// signature fields.
func trailerSpecs() []param.Spec {
	return []param.Spec{
		scalar("AVANGATE_CUSTOMER_REFERENCE", "Integer", "2Checkout customer reference."),
		scalar("EXTERNAL_CUSTOMER_REFERENCE", "String", "The merchant's customer reference."),
		scalar("IPN_PARTNER_MARGIN_PERCENT", "Decimal", "Partner margin, in percent (partner orders)."),
		scalar("IPN_PARTNER_MARGIN", "Decimal", "Partner margin amount (partner orders)."),
		scalar("IPN_EXTRA_MARGIN", "Decimal", "Extra margin granted to the partner for this order."),
		scalar("IPN_EXTRA_DISCOUNT", "Decimal", "Extra discount granted to the partner for this order."),
		scalar("IPN_COUPON_DISCOUNT", "Decimal", "Discount from coupons."),
		scalar("IPN_LINK_SOURCE", "String", "Link source (SRC) the order came through."),
		array("IPN_ORIGINAL_LINK_SOURCE", "Array of strings", "Original link source of each line (sent when enabled)."),
		scalar("IPN_COMMISSION", "Decimal", "2Checkout commission."),
		scalar("REFUND_TYPE", "String", "Refund type of a refunded order."),
		array(ProductOptions, "Arrays of strings, per product", "Placeholder, never sent under this name: expands to IPN_PRODUCT_OPTIONS_<PID>_TEXT[], _VALUE[], _OPTIONAL_VALUE[], _PRICE[], _OPERATOR[] and _USAGE[] (one element per pricing option) for every product with pricing options, in line order."),
		scalar("CHARGEBACK_RESOLUTION", "String", "Chargeback resolution, e.g. NONE."),
		scalar("CHARGEBACK_REASON_CODE", "String", "Chargeback reason code."),
		oneOf(scalar("TEST_ORDER", "Integer", "1 = test order, 0 = real order."), zeroOne),
		scalar("IPN_ORDER_ORIGIN", "String", "Where the order was placed, e.g. API, Web."),
		oneOf(scalar("FRAUD_STATUS", "String", "Anti-fraud review outcome."), fraudStatuses),
		scalar("CARD_TYPE", "String", "Card brand, e.g. mastercard."),
		scalar("CARD_LAST_DIGITS", "String", "Last digits of the card number."),
		scalar("CARD_EXPIRATION_DATE", "String (MM/YY)", "Card expiration month and year."),
		scalar("GATEWAY_RESPONSE", "String", "Payment gateway response, e.g. Approved."),
		required(limited(scalar("IPN_DATE", "String (YmdHis)", "Date of the notification; the read receipt signs it."), 14)),
		scalar("FX_RATE", "Decimal", "Exchange rate from the order currency to the payout currency."),
		scalar("FX_MARKUP", "Decimal", "Exchange markup, in percent."),
		scalar("PAYABLE_AMOUNT", "Decimal", "Net amount payable to the merchant, in the payout currency."),
		scalar("PAYOUT_CURRENCY", "String", "Payout currency, ISO 4217 code."),
		required(scalar("VENDOR_CODE", "String", "The merchant's code.")),
		scalar("PROPOSAL_ID", "String", "ID of the proposal (quote) the order came from."),
		limited(scalar(signer.FieldHash, "String", "HMAC-MD5 of the notification, lowercase hex; not signed itself."), 32),
		limited(scalar(signer.FieldSHA2, "String", "HMAC-SHA-256 of the notification, lowercase hex; not signed itself."), 64),
		limited(scalar(signer.FieldSHA3, "String", "HMAC-SHA3-256 of the notification, lowercase hex; not signed itself."), 64),
	}
}
