package dev.switchboard.aws.sigv4;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds requests as a server receives them: the signed request plus the headers its signature added. */
final class SigV4Fixtures {
    private SigV4Fixtures() {}

    static SignableRequest withHeaders(SignableRequest request, SigV4Headers signature) {
        Map<String, String> added = new LinkedHashMap<>();
        signature.addTo(added);
        List<HttpHeader> headers = new ArrayList<>(request.headers());
        added.forEach((name, value) -> headers.add(new HttpHeader(name, value)));
        return new SignableRequest(request.method(), request.host(), request.rawPath(), request.rawQuery(), headers);
    }

    static SignableRequest replacingHeader(SignableRequest request, String name, String value) {
        List<HttpHeader> headers = new ArrayList<>();
        for (HttpHeader header : request.headers()) {
            headers.add(header.name().equalsIgnoreCase(name) ? new HttpHeader(header.name(), value) : header);
        }
        return new SignableRequest(request.method(), request.host(), request.rawPath(), request.rawQuery(), headers);
    }
}
