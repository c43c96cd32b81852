// "Pay now" on an invoice page (/invoices/<number>): Stripe.js's card element and confirmCardPayment.
//
// The page shows <div id="card-element" data-key data-secret data-js> once the server has made (or
// reused) the invoice's PaymentIntent; `mount` (its on_mount) loads Stripe.js from data-js and mounts
// the card element in it, in the page's language (data-locale); `confirm` (the "Pay" button) confirms
// the PaymentIntent with the card and resolves to {ok, message, code, decline_code} for the page, which
// tells a failure by its code in the user's language (services/invoices/card_errors.py). Whether the
// invoice is paid is never decided here: the server hears it from Stripe (the webhook, or its own
// check) and the page follows.
(function () {
  var loading = null;
  var stripe = null;
  var card = null;
  var paying = false;

  function loadStripe(url) {
    if (window.Stripe) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = function () {
          loading = null;
          reject(new Error("Stripe.js could not be loaded"));
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // Stripe's message is for the customer only for a card's or a form's error (its type says so); the
  // others (invalid_request_error, api_error, a network failure) are for developers: logged, not shown
  function failure(error) {
    var forCustomer = error.type === "card_error" || error.type === "validation_error";
    if (!forCustomer && error.message) console.warn("card payment:", error.type || "", error.message);
    return { ok: false, message: forCustomer ? String(error.message || "") : "", code: String(error.code || ""),
             decline_code: String(error.decline_code || "") };
  }

  function box() {
    return document.getElementById("card-element");
  }

  window.portalPay = {
    mount: function () {
      var el = box();
      if (!el) return Promise.resolve(false);
      return loadStripe(el.dataset.js).then(function () {
        var target = box();
        if (!target || target.dataset.mounted === target.dataset.secret) return true;
        stripe = window.Stripe(target.dataset.key, { locale: target.dataset.locale || "auto" });
        card = stripe.elements().create("card");
        card.mount(target);
        target.dataset.mounted = target.dataset.secret;
        return true;
      }).catch(function (err) {
        var el2 = box();
        if (el2) el2.textContent = String((err && err.message) || err);
        return false;
      });
    },

    confirm: function () {
      var el = box();
      if (paying || !stripe || !card || !el) return Promise.resolve({ ok: false, message: "", ignored: true });
      paying = true;
      return stripe.confirmCardPayment(el.dataset.secret, { payment_method: { card: card } })
        .then(function (result) {
          if (result && result.error) return failure(result.error);
          var intent = (result && result.paymentIntent) || {};
          var done = intent.status === "succeeded" || intent.status === "processing";
          return done ? { ok: true, message: "" } : failure(intent.last_payment_error || {});
        })
        .catch(function (err) {
          console.warn("card payment:", err);
          return { ok: false, message: "" };
        })
        .finally(function () {
          paying = false;
        });
    },
  };
})();
