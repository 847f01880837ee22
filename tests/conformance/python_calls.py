"""Drives the official Python SDK (pilot-status 1.15.0) through the conformance calls.

Usage: python3 python_calls.py BASE_URL  -- prints the call names, in order, as JSON.
Every request goes to BASE_URL (the Rust test's recording server on 127.0.0.1) through a
transport that only swaps the SDK's fixed base URL for it.
"""

import json
import sys
import urllib.error
import urllib.request

from pilot_status import PilotStatusClient

SDK_BASE = "https://pilotstatus.com.br"
API_KEY = "ps_conformance_key"
START, END = "2026-06-01T00:00:00.000Z", "2026-06-30T23:59:59.000Z"


def forwarding_transport(base):
    def transport(request, timeout):
        url = request.full_url.replace(SDK_BASE, base, 1)
        forwarded = urllib.request.Request(
            url, data=request.data, method=request.get_method(), headers=dict(request.header_items())
        )
        try:
            with urllib.request.urlopen(forwarded, timeout=timeout) as response:
                return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    return transport


def calls(c):
    v = c.phone_lines.verification
    return [
        ("ads_list_accounts", lambda: c.ads.list_accounts()),
        ("ads_link_account", lambda: c.ads.link_account("act_1234567890")),
        ("ads_unlink_account", lambda: c.ads.unlink_account("act_1234567890")),
        ("ads_summary", lambda: c.ads.summary(whatsapp_number_id="num_1", start_date=START, end_date=END)),
        ("analytics_dashboard", lambda: c.analytics.get_dashboard_stats(tz="America/Sao_Paulo")),
        ("api_keys_list", lambda: c.api_keys.list()),
        ("api_keys_regenerate_number", lambda: c.api_keys.regenerate_number("num_1")),
        ("calls_initiate", lambda: c.calls.initiate({"to": "+5511988887777", "sdp": "v=0 offer", "bizOpaqueCallbackData": "order-42"})),
        ("calls_list", lambda: c.calls.list(limit=10, before="2026-07-01T00:00:00.000Z")),
        ("calls_get", lambda: c.calls.get("call_1", include_sdp=True)),
        ("calls_pre_accept", lambda: c.calls.pre_accept("call_1", "v=0 answer")),
        ("calls_accept", lambda: c.calls.accept("call_1", sdp="v=0 answer")),
        ("calls_accept_without_sdp", lambda: c.calls.accept("call_1")),
        ("calls_reject", lambda: c.calls.reject("call_1")),
        ("calls_terminate", lambda: c.calls.terminate("call_1")),
        ("calls_play", lambda: c.calls.play("call_1", "https://cdn.acme.com/hello.mp3")),
        ("calls_realtime_session", lambda: c.calls.realtime_session("call_1", "talk")),
        ("calls_get_settings", lambda: c.calls.get_settings()),
        ("calls_update_settings", lambda: c.calls.update_settings(
            {"status": "ENABLED", "call_icon_visibility": "DEFAULT", "callback_permission_status": "DISABLED"})),
        ("calls_get_permissions", lambda: c.calls.get_permissions("+5511988887777")),
        ("calls_request_permission", lambda: c.calls.request_permission("+5511988887777", text="Podemos ligar?")),
        ("groups_list", lambda: c.groups.list()),
        ("lead_pages_list", lambda: c.lead_pages.list()),
        ("lead_pages_link", lambda: c.lead_pages.link("123456789", whatsapp_number_id="num_1")),
        ("lead_pages_update", lambda: c.lead_pages.update("lpl_1", whatsapp_number_id="num_2")),
        ("lead_pages_unlink", lambda: c.lead_pages.unlink("lpl_1")),
        ("lead_pages_list_forms", lambda: c.lead_pages.list_forms("lpl_1")),
        ("lead_pages_update_form", lambda: c.lead_pages.update_form("lpl_1", "form_1", {
            "consentDisclaimerKey": None, "autoSendEnabled": True, "templateId": "tpl_1", "freeText": None,
            "variableMap": {"nome": {"source": "field", "key": "full_name"}}, "formName": "Contato"})),
        ("lead_pages_resync", lambda: c.lead_pages.resync("lpl_1")),
        ("leads_list", lambda: c.leads.list(form_id="form_1", ad_id="ad_1", page_id="page_1",
                                            start_date=START, end_date=END, page=2, page_size=50)),
        ("leads_get", lambda: c.leads.get("lead_1")),
        ("media_download", lambda: c.media.download("media_1", "1234567890")),
        ("messages_send", lambda: c.messages.send(
            {"templateId": "boas_vindas", "destinationNumber": "+5511988887777", "variables": {"nome": "Ana"}},
            idempotency_key="order-42")),
        ("messages_send_scheduled", lambda: c.messages.send(
            {"destinationNumber": "+5511988887777", "text": "Oi",
             "deliverAt": "2026-06-21T12:00:00.000Z", "deliverUntil": "2026-06-21T18:00:00.000Z"})),
        ("messages_send_text", lambda: c.messages.send({"destinationNumber": "+5511988887777", "text": "Oi"})),
        ("messages_send_media", lambda: c.messages.send(
            {"destinationNumber": "+5511988887777", "media": "https://cdn.acme.com/promo.jpg"})),
        ("messages_get", lambda: c.messages.get("msg_1")),
        ("messages_get_with_slash", lambda: c.messages.get("msg/1")),
        ("messages_history", lambda: c.messages.history(start_date=START, end_date=END, page=1, page_size=100)),
        ("messages_cancel", lambda: c.messages.cancel(["msg_1", "msg_2"])),
        ("newsletters_list", lambda: c.newsletters.list()),
        ("numbers_list", lambda: c.numbers.list()),
        ("numbers_create", lambda: c.numbers.create({"name": "Suporte", "number": "5511999999999", "linkToApiKey": True})),
        ("numbers_connect", lambda: c.numbers.connect("num_1", link="secondary")),
        ("numbers_get_status", lambda: c.numbers.get_status("num_1", link="secondary")),
        ("numbers_connect_primary", lambda: c.numbers.connect("num_1", link="primary")),
        ("numbers_get_status_primary", lambda: c.numbers.get_status("num_1", link="primary")),
        ("numbers_upgrade_to_dual", lambda: c.numbers.upgrade_to_dual("num_1")),
        ("numbers_get", lambda: c.numbers.get("num_1", refresh=True)),
        ("numbers_update", lambda: c.numbers.update("num_1", {"piiMode": "STORE_X_DAYS", "piiRetentionDays": 30})),
        ("numbers_update_settings", lambda: c.numbers.update_settings("num_1", {"alwaysOnline": True, "rejectCall": False})),
        ("numbers_update_settings_reset",
         lambda: c.numbers.update_settings("num_1", {"alwaysOnline": None, "rejectCall": True})),
        ("numbers_delete", lambda: c.numbers.delete("num_1")),
        ("numbers_restore", lambda: c.numbers.restore("num_1")),
        ("numbers_pay", lambda: c.numbers.pay("num_1")),
        ("numbers_purge", lambda: c.numbers.purge("num_1")),
        ("numbers_remote_pairing", lambda: c.numbers.remote_pairing(
            {"name": "Cliente Acme", "number": "5511988887777", "sendViaWhatsApp": True})),
        ("verification_get", lambda: v.get()),
        ("verification_start", lambda: v.start(document_type="CPF", document_number="12345678909",
                                               contact_email="ana@acme.com", contact_whatsapp="+5511999999999",
                                               document="data:application/pdf;base64,JVBERi0=", idempotency_key="kyc-1")),
        ("verification_send_contact_code", lambda: v.send_contact_code("whatsapp")),
        ("verification_confirm_contact", lambda: v.confirm_contact("email", "123456")),
        ("verification_submit_document", lambda: v.submit_document("data:image/png;base64,iVBO")),
        ("phone_lines_activation_audio", lambda: c.phone_lines.get_activation_audio("act_1")),
        ("projects_list", lambda: c.projects.list()),
        ("projects_create", lambda: c.projects.create({"name": "Loja", "description": "Loja online"})),
        ("referrals_list", lambda: c.referrals.list(source_id="ad_1", source_type="ad", start_date=START,
                                                    end_date=END, page=1, page_size=30)),
        ("referrals_summary", lambda: c.referrals.summary(start_date=START, end_date=END)),
        ("remote_pairing_get_info", lambda: c.remote_pairing.get_info("rp_1")),
        ("remote_pairing_get_status", lambda: c.remote_pairing.get_status("rp_1")),
        ("remote_pairing_connect", lambda: c.remote_pairing.connect("rp_1")),
        ("templates_list", lambda: c.templates.list()),
        ("templates_get", lambda: c.templates.get("tpl_1")),
        ("with_number_history", lambda: c.with_number("num_9").messages.history()),
    ]


def main():
    base = sys.argv[1]
    client = PilotStatusClient(api_key=API_KEY, transport=forwarding_transport(base), get_retries=0)
    names = []
    for name, call in calls(client):
        try:
            call()
        except Exception:  # noqa: BLE001 - only the request matters here
            pass
        names.append(name)
    print(json.dumps(names))


if __name__ == "__main__":
    main()
