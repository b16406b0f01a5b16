package dev.pgflip.examples.springcountries;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pgflip.spring.CommitOutcomeUnknownException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code GET /countries} and {@code POST /countries}, in the seed's JSON, each with the node that served it. */
@RestController
@RequestMapping("/countries")
public class CountryController {
    private final CountryService service;

    public CountryController(CountryService service) {
        this.service = service;
    }

    /** A row as the seed's {@code JSON.stringify} shows it. */
    public record CountryJson(@JsonProperty("country_id") Integer countryId, String name,
                              @JsonProperty("is_eu_member") Boolean isEuMember) {
        static CountryJson of(Country c) {
            return new CountryJson(c.countryId(), c.name(), c.isEuMember());
        }
    }

    public record NewCountry(String name, @JsonProperty("is_eu_member") boolean isEuMember) {}

    public record CountriesResponse(List<CountryJson> countries, @JsonProperty("served_by") ServingNode servedBy) {}

    public record CreatedResponse(CountryJson country, @JsonProperty("served_by") ServingNode servedBy) {}

    @GetMapping
    public CountriesResponse findAll() {
        Served<List<Country>> all = service.findAll();
        return new CountriesResponse(all.value().stream().map(CountryJson::of).toList(), all.node());
    }

    @PostMapping
    public ResponseEntity<CreatedResponse> create(@RequestBody NewCountry body) {
        if (body.name() == null || body.name().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "name is required");
        }
        Served<Country> created = service.create(body.name().trim(), body.isEuMember());
        return ResponseEntity.created(URI.create("/countries/" + created.value().countryId()))
                .body(new CreatedResponse(CountryJson.of(created.value()), created.node()));
    }

    /** The insert may or may not be in the table: the client must look before posting it again. */
    @ExceptionHandler(CommitOutcomeUnknownException.class)
    public ResponseEntity<Map<String, String>> commitOutcomeUnknown(CommitOutcomeUnknownException e) {
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(Map.of("error", "commit_outcome_unknown", "message", e.getMessage()));
    }
}
