package dev.pgflip.lab.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One page of a list answer and its {@code links.pages}: absolute {@code first}/{@code prev}/{@code next}/
 * {@code last} URLs when they exist, {@code {}} when everything fits on one page.
 */
record Page<T>(List<T> items, Map<String, String> pageLinks, int total) {

    static final int DEFAULT_PER_PAGE = 20;
    static final int MAX_PER_PAGE = 200;

    static <T> Page<T> of(ApiRequest request, String path, List<T> all) {
        int perPage = Math.min(MAX_PER_PAGE, request.positiveIntParam("per_page", DEFAULT_PER_PAGE));
        int page = request.positiveIntParam("page", 1);
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        int from = (int) Math.min(all.size(), (long) (page - 1) * perPage);
        int to = Math.min(all.size(), from + perPage);

        Map<String, String> links = new LinkedHashMap<>();
        IntFunction<String> url = n -> request.origin() + path + "?page=" + n + "&per_page=" + perPage;
        if (page > 1) {
            links.put("first", url.apply(1));
            links.put("prev", url.apply(Math.min(page - 1, last)));
        }
        if (page < last) {
            links.put("next", url.apply(page + 1));
            links.put("last", url.apply(last));
        }
        return new Page<>(List.copyOf(all.subList(from, to)), links, all.size());
    }

    /** The list body: {@code {"<key>": [...], "links": {"pages": {...}}, "meta": {"total": N}}}. */
    Map<String, Object> body(String key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(key, items);
        body.put("links", Map.of("pages", pageLinks));
        body.put("meta", Map.of("total", total));
        return body;
    }
}
