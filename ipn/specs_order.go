package ipn

import "github.com/lcngw/lcngw/param"

// orderSpecs lists GIFT_ORDER … ORDERFLOW: the order, billing and delivery
// data that precede the per-product arrays.
func orderSpecs() []param.Spec {
	return []param.Spec{
		oneOf(limited(scalar("GIFT_ORDER", "Integer", "0 = not a gift order, 1 = gift order: the product goes to the recipient in the delivery details."), 1), zeroOne),
		limited(scalar("SALEDATE", "String (Y-m-d H:i:s)", "When the shopper placed the order."), 19),
		limited(scalar("PAYMENTDATE", "String (Y-m-d H:i:s)", "When the payment was authorized; 0000-00-00 00:00:00 while it is not."), 19),
		required(limited(scalar("REFNO", "Integer", "2Checkout order reference (unique, system-generated)."), 9)),
		limited(scalar("REFNOEXT", "String", "The merchant's external order reference."), 100),
		limited(array("ORIGINAL_REFNOEXT", "Array of strings", "Renewals: the REFNOEXT values of the initial order."), 100),
		limited(scalar("SHOPPER_REFERENCE_NUMBER", "String", "The shopper's own reference for the order (purchase orders)."), 255),
		scalar("ORDERNO", "String", "Order number in the merchant's sequence."),
		required(oneOf(scalar("ORDERSTATUS", "String", "Order status at the time of the notification."), orderStatuses)),
		scalar("PAYMETHOD", "String", "Payment method label, e.g. Visa/MasterCard."),
		scalar("PAYMETHOD_CODE", "String", "Payment method code, e.g. CCVISAMC."),
		scalar("FIRSTNAME", "String", "Billing first name."),
		scalar("LASTNAME", "String", "Billing last name."),
		scalar("COMPANY", "String", "Billing company name."),
		scalar("REGISTRATIONNUMBER", "String", "Billing company registration number."),
		scalar("FISCALCODE", "String", "Billing fiscal code (VAT ID)."),
		scalar("TAX_OFFICE", "String", "Billing tax office."),
		scalar("CBANKNAME", "String", "Billing company bank name."),
		scalar("CBANKACCOUNT", "String", "Billing company bank account."),
		scalar("ADDRESS1", "String", "Billing address, first line."),
		scalar("ADDRESS2", "String", "Billing address, second line."),
		scalar("CITY", "String", "Billing city."),
		scalar("STATE", "String", "Billing state or region."),
		scalar("ZIPCODE", "String", "Billing ZIP or postal code."),
		scalar("COUNTRY", "String", "Billing country, English name."),
		scalar("COUNTRY_CODE", "String", "Billing country, lowercase ISO 3166-1 alpha-2 code."),
		scalar("PHONE", "String", "Billing phone number."),
		scalar("FAX", "String", "Billing fax number."),
		scalar("CUSTOMEREMAIL", "String", "Billing e-mail address."),
		scalar("FIRSTNAME_D", "String", "Delivery first name."),
		scalar("LASTNAME_D", "String", "Delivery last name."),
		scalar("COMPANY_D", "String", "Delivery company name."),
		scalar("ADDRESS1_D", "String", "Delivery address, first line."),
		scalar("ADDRESS2_D", "String", "Delivery address, second line."),
		scalar("CITY_D", "String", "Delivery city."),
		scalar("STATE_D", "String", "Delivery state or region."),
		scalar("ZIPCODE_D", "String", "Delivery ZIP or postal code."),
		scalar("COUNTRY_D", "String", "Delivery country, English name."),
		scalar("COUNTRY_D_CODE", "String", "Delivery country, lowercase ISO 3166-1 alpha-2 code."),
		scalar("PHONE_D", "String", "Delivery phone number."),
		scalar("EMAIL_D", "String", "Delivery e-mail address."),
		scalar("IPADDRESS", "String", "The shopper's IP address."),
		scalar("IPCOUNTRY", "String", "Country of the shopper's IP address, English name."),
		limited(scalar("COMPLETE_DATE", "String (Y-m-d H:i:s)", "When the order reached COMPLETE (paid and fulfilled)."), 19),
		required(scalar("TIMEZONE_OFFSET", "String", "UTC offset of the notification's dates, e.g. GMT+02:00.")),
		scalar("CURRENCY", "String", "Order currency, ISO 4217 code."),
		scalar("LANGUAGE", "String", "Order language, e.g. en."),
		scalar("ORDERFLOW", "String", "Order flow, e.g. REGULAR."),
	}
}

// extraSpecs lists the parameters beyond the platform's table that real
// payloads and the platform's flows need: the order's additional fields,
// the purchase-order state, the refund reason, the per-line commission and
// the bundle and reseller fields. They are sent only when the event has
// them (a per-product array when some line has a value), after PROPOSAL_ID
// in the default layout; a layout may name them elsewhere.
func extraSpecs() []param.Spec {
	return []param.Spec{
		array("CUSTOM_FIELDS", "Array of strings", "The order's additional fields, one element each, as the event writes them (sent only when present)."),
		scalar("IPN_PURCHASE_ORDER_INFO", "String", "Purchase-order state, e.g. NEW_PURCHASE_ORDER, PENDING_PAYMENT, COMPLETE, EXPIRED_NO_PAYMENT, EXPIRED_NO_DOCUMENT, REJECTED, EXPIRED_NO_CONFIRMATION (sent only when present)."),
		scalar("REFUND_REASON", "String", "Why the order was refunded (sent only when present)."),
		array("IPN_PCOMMISSION", "Array of decimals", "2Checkout commission on each line (sent only when some line has one)."),
		array("IPN_BUNDLE_DETAILS", "Array of strings", "Contents of each bundle line (sent only when some line has them)."),
		array("IPN_BUNDLE_DELIVEREDCODES", "Array of strings", "Codes delivered for the products of each bundle line (sent only when some line has them)."),
		scalar("IPN_RESELLER_ID", "String", "ID of the reseller the order came through (sent only when present)."),
		scalar("IPN_RESELLER_NAME", "String", "Name of the reseller (sent only when present)."),
		scalar("IPN_RESELLER_URL", "String", "URL of the reseller (sent only when present)."),
		scalar("IPN_RESELLER_COMMISSION", "Decimal", "The reseller's commission (sent only when present)."),
	}
}
